// The load generator of benchmarks/ack_vs_probot.py, the same for both servers: autocannon with
// one static signed body and a counter-based X-GitHub-Delivery per request (`setupRequest`), so
// no delivery is a duplicate. Every latency is kept (autocannon's own histogram rounds to whole
// milliseconds) and the percentiles are computed here.
//
//   node loadgen.js '{"url": "...", "bodyFile": "...", "headers": {...}, "connections": 50,
//                     "duration": 10, "prefix": "run1"}'
//
// Prints one JSON object: requests, ok, non2xx, errors, timeouts, seconds, rps, p50/p90/p99/max (ms).

import { readFileSync } from "node:fs";
import autocannon from "autocannon";

const options = JSON.parse(process.argv[2]);
const body = readFileSync(options.bodyFile);

function load(seconds, prefix, latencies) {
  let counter = 0;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        body,
        headers: options.headers,
        setupRequest(request) {
          counter += 1;
          request.headers = { ...request.headers, "x-github-delivery": `${prefix}-${counter}` };
          return request;
        },
      },
    ],
  });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  return instance;
}

function percentile(sorted, share) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1);
  return sorted[Math.max(0, rank)];
}

const latencies = [];
const result = await load(options.duration, options.prefix, latencies);
latencies.sort((a, b) => a - b);
const ok = latencies.length;
const round = (value) => (value === null ? null : Math.round(value * 1000) / 1000);
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    rps: Math.round((ok / result.duration) * 10) / 10,
    p50: round(percentile(latencies, 0.5)),
    p90: round(percentile(latencies, 0.9)),
    p99: round(percentile(latencies, 0.99)),
    max: round(latencies.length ? latencies[latencies.length - 1] : null),
  }) + "\n",
);
