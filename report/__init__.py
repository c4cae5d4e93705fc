"""The service-level report: per establishment and month, as HTML with charts and as CSV (`iin report`)."""
