"""Events of applications pushed to backend services: webhook secrets, URL safety, signing, delivery."""
