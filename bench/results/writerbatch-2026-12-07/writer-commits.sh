#!/bin/bash
# usage: wb-monitor.sh <label>: every 5 s, the sync-writer's committed events (count of processed_events), its batches
# (transactions) in the interval, and the writer's consumer lag from the bench log line just before.
label=$1; log=/tmp/wb-runs/$label.log; out=/tmp/wb-runs/$label.monitor
until grep -q "PostgreSQL *jdbc" $log 2>/dev/null; do sleep 2; done
port=$(grep -o "jdbc:postgresql://127.0.0.1:[0-9]*" $log | head -1 | sed 's/.*://')
echo "# t_epoch committed_total tx_in_5s events_in_5s writer_lag" > $out
while ! grep -q "^end " $log; do
  r=$(psql -h 127.0.0.1 -p $port -U postgres -d commercesync -At -F' ' -c "select extract(epoch from now())::bigint, (select count(*) from syncwriter.processed_events), count(distinct xmin::text), count(*) from syncwriter.processed_events where processed_at > now() - interval '5 s'" 2>/dev/null)
  lag=$(grep -o "writer [0-9]*" $log | tail -1 | sed 's/writer //')
  [ -n "$r" ] && echo "$r $lag" >> $out
  sleep 5
done
