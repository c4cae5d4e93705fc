"""What callers of the service do: submit an application and follow it."""
