# FHI's Sykdomspulsen quasi-Poisson method (SURVEILLANCE.md section 5) written with R's own glm,
# as the reference for beredskap.surveillance.detection.quasipoisson.
# Usage: Rscript qp.R input.csv output.csv T0 T1 TRAIN_YEARS MIN_TRAIN_YEARS
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE)
t0 <- as.integer(args[3]); t1 <- as.integer(args[4])
train_years <- as.integer(args[5]); min_years <- as.integer(args[6])
d$date <- as.Date(d$date)
d$isoyear <- as.integer(format(d$date, "%G"))
d$week <- as.integer(format(d$date, "%V"))
d$trend <- (as.numeric(d$date) - 13000) / 100
d$sin <- sin(2 * pi * (d$week - 1) / 52)
d$cos <- cos(2 * pi * (d$week - 1) / 52)
d$den <- pmax(d$denominator, 1)
anscombe <- function(m, phi) {
  y <- m$y; mu <- m$fitted.values
  res <- 3 / 2 * (y^(2 / 3) * mu^(-1 / 6) - mu^(1 / 2))
  res / sqrt(phi * (1 - hatvalues(m)))
}
out <- list()
for (s in unique(d$series)) {
  x <- d[d$series == s, ]
  for (yr in unique(x$isoyear[x$t >= t0 & x$t <= t1])) {
    years <- (yr - train_years):(yr - 1)
    years <- years[years %in% x$isoyear]
    rows <- x[x$t >= t0 & x$t <= t1 & x$isoyear == yr, ]
    res <- data.frame(series = s, t = rows$t, expected = NA, upperbound = NA, medium = NA,
                      alarm = NA)
    if (length(years) >= min_years) {
      train <- x[x$isoyear %in% years & !is.na(x$observed), ]
      f <- observed ~ offset(log(den)) + trend + sin + cos
      fit1 <- glm(f, data = train, family = quasipoisson)
      r <- anscombe(fit1, summary(fit1)$dispersion)
      r[r < 1] <- 1
      w <- r^-2
      train$w <- w / sum(w) * length(w)
      fit2 <- glm(f, data = train, family = quasipoisson, weights = w)
      phi <- summary(fit2)$dispersion
      p <- predict(fit2, newdata = rows, type = "response", se.fit = TRUE)
      mu0 <- p$fit
      sigma <- sqrt(4 / 9 * mu0^(1 / 3) * (phi + p$se.fit^2 / mu0))
      res$expected <- mu0
      res$upperbound <- (mu0^(2 / 3) + 4 * sigma)^(3 / 2)
      res$medium <- (mu0^(2 / 3) + 2 * sigma)^(3 / 2)
      res$alarm <- ifelse(is.na(rows$observed), NA,
                          as.integer(rows$observed > 1 & rows$observed > res$upperbound))
    }
    out[[length(out) + 1]] <- res
  }
}
write.csv(do.call(rbind, out), args[2], row.names = FALSE, na = "")
