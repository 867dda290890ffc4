-- A serial number's cases, newest first, from the index alone: a look-up by serial in a company
-- with thousands of cases of one device reads one page, not all of them (the lists sort by
-- last update). It serves equality look-ups too, so the older one-column index goes.
CREATE INDEX cases_serial_updated ON cases(serial_number, updated_at, id);
DROP INDEX cases_serial;
-- The (company, created) and (submitter, created) indexes are older than the ones by last update
-- and serve the same look-ups. Newer SQLite picked them for the default list of a company with
-- 100,000 cases and sorted all of them for one page (3 s); with one index per column left, the
-- list reads its page in order.
DROP INDEX cases_company;
DROP INDEX cases_submitter;
