# gunicorn settings for production; every value can be overridden from the environment.
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
# Peers whose X-Forwarded-Proto (and other forwarder headers) gunicorn believes. gunicorn never
# takes REMOTE_ADDR from X-Forwarded-For: the client's address for the rate limits comes from
# Django's TRUSTED_PROXY_COUNT. "*" is right only when nothing but the proxy can reach this
# port; otherwise set FORWARDED_ALLOW_IPS to the proxy's address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
