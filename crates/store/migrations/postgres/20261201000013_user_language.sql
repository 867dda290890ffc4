-- The language someone registered in (the page's, or the API's Accept-Language): their mail
-- and pages use it until a profile names one.
ALTER TABLE users ADD COLUMN language TEXT;
