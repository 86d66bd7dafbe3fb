-- wrk script: after the run, print one machine-readable line with the latency percentiles
-- (microseconds) and the error counts. errors.status counts responses that were not 2xx/3xx.
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d p50=%d p75=%d p90=%d p95=%d p99=%d max=%d"
      .. " non_2xx_3xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
