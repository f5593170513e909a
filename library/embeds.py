"""Privacy-friendly video embeds.

A recording's page shows a plain link to the video; the player itself (an iframe from
youtube-nocookie.com or Vimeo with Do Not Track) is only loaded after the visitor asks
for it, so no third party sees a visit that did not choose to watch.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{4,12}$")


def embed_url(video_url: str) -> str:
    """The privacy-friendly player URL for a YouTube or Vimeo video, or "" when unknown."""
    parts = urlsplit(video_url or "")
    if parts.scheme not in ("http", "https"):
        return ""
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = [p for p in parts.path.split("/") if p]
    video_id = ""
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path[:1] == ["watch"]:
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif len(path) >= 2 and path[0] in ("embed", "live", "shorts", "v"):
            video_id = path[1]
        if _YOUTUBE_ID.match(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host == "youtu.be" and path:
        if _YOUTUBE_ID.match(path[0]):
            return f"https://www.youtube-nocookie.com/embed/{path[0]}"
    elif host in ("vimeo.com", "player.vimeo.com"):
        candidates = [p for p in path if _VIMEO_ID.match(p)]
        if candidates:
            return f"https://player.vimeo.com/video/{candidates[0]}?dnt=1"
    return ""


def provider_name(video_url: str) -> str:
    host = (urlsplit(video_url or "").hostname or "").lower()
    if host.endswith(("youtube.com", "youtu.be")):
        return "YouTube"
    if host.endswith("vimeo.com"):
        return "Vimeo"
    return host.removeprefix("www.")
