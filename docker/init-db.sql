-- Run once by the postgres image when its data volume is first created (docker-entrypoint-initdb.d),
-- in the database named by POSTGRES_DB. Flyway's migrations expect the extensions to exist already,
-- as scripts/setup-postgres.sh ensures on a machine without Docker.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
