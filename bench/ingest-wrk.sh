#!/usr/bin/env bash
# Offered load on webhook-ingest: signed Shopify orders/create webhooks (the published example, 14.9 KB,
# as published) against a running `./synctl up`, with wrk (Debian package `wrk`). Prints wrk's latency distribution.
# Usage: bench/ingest-wrk.sh [connections] [seconds] [body.json]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONNECTIONS="${1:-16}"
SECONDS_="${2:-30}"
BODY="${3:-$ROOT/platforms/src/test/resources/fixtures/shopify/orders_create.json}"
INGEST="${INGEST_URL:-http://127.0.0.1:8080}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
TOKEN="$(grep '^commercesync.admin.token=' "$ROOT/.synctl/local-secrets.properties" | cut -d= -f2-)"
SHOP="bench-$(date +%s).myshopify.com"
SECRET="bench-secret-$RANDOM$RANDOM"
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"platform\":\"shopify\",\"store_id\":\"$SHOP\",\"webhook_secret\":\"$SECRET\"}" "$INGEST/admin/stores"
SIG="$(openssl dgst -sha256 -hmac "$SECRET" -binary "$BODY" | base64)"
SCRIPT="$(mktemp --suffix=.lua)"
trap 'rm -f "$SCRIPT"' EXIT
cat > "$SCRIPT" <<LUA
wrk.method = "POST"
local f = io.open("$BODY", "rb"); wrk.body = f:read("*all"); f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Shopify-Topic"] = "orders/create"
wrk.headers["X-Shopify-Shop-Domain"] = "$SHOP"
wrk.headers["X-Shopify-Hmac-Sha256"] = "$SIG"
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("requests %d, non-2xx %d, socket errors %d\n", summary.requests, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%-5s %8.1f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max    %8.1f ms\n", latency.max / 1000))
end
LUA
echo "body $(wc -c < "$BODY") bytes, $CONNECTIONS connections, ${SECONDS_} s, store $SHOP"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" --latency -s "$SCRIPT" "$INGEST/webhooks/shopify"
