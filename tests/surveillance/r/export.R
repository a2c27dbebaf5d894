# Write one of the R package's datasets as the long CSV of `beredskap surveillance detect`:
# series,t,date,observed[,population]. Usage: Rscript export.R DATASET OUT.csv
suppressMessages(library(surveillance))
args <- commandArgs(TRUE)
e <- new.env(); data(list = args[1], envir = e); x <- get(args[1], e)
if (!is(x, "sts")) x <- disProg2sts(x)
obs <- observed(x)
n <- nrow(obs)
dates <- if (x@epochAsDate) format(as.Date(x@epoch, origin = "1970-01-01")) else rep("", n)
has_pop <- args[1] == "momo"
out <- do.call(rbind, lapply(seq_len(ncol(obs)), function(j) {
  d <- data.frame(series = paste0(args[1], "_", j), t = seq_len(n), date = dates,
                  observed = obs[, j])
  if (has_pop) d$population <- population(x)[, j]
  d
}))
write.csv(out, args[2], row.names = FALSE, na = "")
