-- The case lists sort by last update by default (CAS-11): the first page of a company's cases
-- and of a submitter's cases reads straight from these indexes, newest first.
CREATE INDEX cases_company_updated ON cases(company_id, updated_at, id);
CREATE INDEX cases_submitter_updated ON cases(submitter_id, updated_at, id);
