# Reference results from R's `surveillance` for a long CSV (series,t,date,observed[,population]).
# Usage: Rscript oracle.R METHOD IN.csv OUT.csv FROM TO key=value ...
# METHOD: ff (farringtonFlexible), farrington (algo.farrington), earsC. Each series is run on
# its own; an R error leaves that series' rows empty (NA), as the port reports "model failed".
suppressMessages(library(surveillance))
args <- commandArgs(TRUE)
method <- args[1]; from <- as.integer(args[4]); to <- as.integer(args[5])
value <- function(v) {
  if (v %in% c("TRUE", "FALSE")) return(as.logical(v))
  if (v == "NULL") return(NULL)
  if (grepl(",", v)) return(as.numeric(strsplit(v, ",")[[1]]))
  num <- suppressWarnings(as.numeric(v))
  if (is.na(num)) v else num
}
ctl <- list(range = from:to)
for (a in args[-(1:5)]) { p <- strsplit(a, "=")[[1]]; ctl[p[1]] <- list(value(p[2])) }
if (method == "ff") ctl$glmWarnings <- FALSE
d <- read.csv(args[2], stringsAsFactors = FALSE, na.strings = c("", "NA"))
d <- d[order(d$series, d$t), ]
one <- function(s) {
  x <- d[d$series == s, ]
  dated <- "date" %in% names(x) && !all(is.na(x$date))
  pop <- if ("population" %in% names(x)) matrix(x$population) else NULL
  obj <- if (dated) {
    sts(observed = matrix(x$observed), epoch = as.numeric(as.Date(x$date)), epochAsDate = TRUE,
        frequency = 52, population = pop)
  } else sts(observed = matrix(x$observed), frequency = 52, population = pop)
  res <- data.frame(series = s, t = from:to, upperbound = NA, alarm = NA, expected = NA,
                    score = NA)
  r <- tryCatch(suppressWarnings(switch(method,
    ff = farringtonFlexible(obj, ctl),
    farrington = capture.output(z <- farrington(obj, ctl)) -> ignored,
    earsC = earsC(obj, ctl))), error = function(e) NULL)
  if (method == "farrington" && !is.null(r)) r <- z
  if (is.null(r)) return(res)
  res$upperbound <- as.vector(upperbound(r)); res$alarm <- as.integer(as.vector(alarms(r)))
  if (method == "ff") {
    res$expected <- as.vector(r@control$expected); res$score <- as.vector(r@control$score)
  }
  res
}
out <- do.call(rbind, lapply(unique(d$series), one))
write.csv(out, args[3], row.names = FALSE, na = "")
