"""PostgreSQL: migrations, the connection pool and one repository module per aggregate."""
