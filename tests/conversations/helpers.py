from django.urls import reverse


def url(name: str, *args, slug: str = "ede-zuid") -> str:
    return reverse(f"conversations:{name}", args=[slug, *args])


def text(response) -> str:
    """The page's HTML, with the <bdi> that isolates each name's writing direction left out."""
    return response.content.decode().replace("<bdi>", "").replace("</bdi>", "")


def html_of(email) -> str:
    return next(body for body, mime in email.alternatives if mime == "text/html")
