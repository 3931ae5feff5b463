-- The schema registry's own database (apicurio-registry-sql stores its schemas there), made on PostgreSQL's first
-- start by docker-compose.yml. The pipeline's tables live in database commercesync.
CREATE DATABASE registry;
