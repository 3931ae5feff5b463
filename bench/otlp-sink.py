# Minimal OTLP/HTTP sink for the tracing cost benchmark: counts export requests and bytes, answers 200.
import http.server, sys, threading
count = {"requests": 0, "bytes": 0}
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0")); self.rfile.read(n)
        count["requests"] += 1; count["bytes"] += n
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf"); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
def report():
    import time
    while True:
        time.sleep(10); print(count, flush=True)
threading.Thread(target=report, daemon=True).start()
s.serve_forever()
