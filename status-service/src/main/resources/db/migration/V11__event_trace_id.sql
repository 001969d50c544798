-- Issue 10, the projection's fourth pass: a running job's rows are written late (progress-delay), and whoever needs
-- the job exactly folds its stored events onto its rows. The job's trace id comes from the Kafka record that carried
-- an event (its traceparent header), not from the event, so each stored event keeps it: a job whose row is not
-- written yet still shows its trace. Nullable, no default: adding it rewrites nothing.
ALTER TABLE job_events ADD COLUMN trace_id text;

-- Stage rows are now mostly inserted once, when their job is first written (a finished job: all at once), and a
-- running job's are updated at most once per delay. V10's free half of each page (for heap-only updates) made every
-- insert touch twice the pages; the table's one index (its key) costs a non-HOT update little.
ALTER TABLE job_stages SET (fillfactor = 100);
