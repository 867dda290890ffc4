-- Incident uses are looked up by their reference (the case number or purchase) when a spend is
-- retried; without an index that read scans every incident ever spent.
CREATE INDEX incident_uses_reference ON incident_uses(reference);
