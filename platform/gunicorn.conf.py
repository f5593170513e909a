# gunicorn settings for production; every value can be overridden from the environment, read
# through config/env.py like the settings (gunicorn puts its working directory on sys.path first).
import multiprocessing

from gunicorn.glogging import Logger

from config.env import env_int, env_str
from config.log_masking import MaskSecretsFilter

bind = env_str("GUNICORN_BIND", default="0.0.0.0:8000")
workers = env_int("GUNICORN_WORKERS", default=multiprocessing.cpu_count() * 2 + 1, minimum=1)
threads = env_int("GUNICORN_THREADS", default=1, minimum=1)
timeout = env_int("GUNICORN_TIMEOUT", default=30)
accesslog = "-"
# Peers whose X-Forwarded-Proto (and other forwarder headers) gunicorn believes. gunicorn never
# takes REMOTE_ADDR from X-Forwarded-For: the client's address for the rate limits comes from
# Django's TRUSTED_PROXY_COUNT. "*" is right only when nothing but the proxy can reach this
# port; otherwise set FORWARDED_ALLOW_IPS to the proxy's address.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", default="*")


class MaskingLogger(Logger):
    """gunicorn's logger, whose access and error lines mask the secret tokens of URL paths
    (join, manage, opt-in, feed and reset links) in the request line and the referrer."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(MaskSecretsFilter())


logger_class = MaskingLogger
