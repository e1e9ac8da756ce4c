"""The rating form's fields (the rating, gold-standard and second-rating pages) as the
services' data, in the same shape as the API's."""

from trainer.supervision.scales import applicable_items


def parse_rating_form(form, scale: dict, phase: str) -> dict:
    """The rating page's fields as the service's data (the same shape as the API's)."""
    items, comments = {}, {}
    for item in applicable_items(scale, phase):
        raw = form.get(f"item-{item['id']}", "")
        if raw == "na":
            items[item["id"]] = None
        elif _small_number(raw):
            items[item["id"]] = int(raw)
        comments[item["id"]] = form.get(f"comment-{item['id']}", "").strip()
    glob = form.get("global", "")
    flags = {name: (form.get(f"{name}_text", "").strip() if form.get(name) else None)
             for name in ("harmful_practice", "client_at_risk")}
    stamped = [{"at": at, "text": text} for at, text in
               zip(form.getlist("comment_at"), form.getlist("comment_text"), strict=False)
               if at.strip() or text.strip()]
    return {"items": items, "item_comments": comments, "global": int(glob) if _small_number(glob)
            else None, "comments": stamped, **flags}


def _small_number(raw: str) -> bool:
    """ASCII digits of a number a rating could hold (`²`, `٣` and 5,000 digits are not:
    the field is then left unanswered and the form says so)."""
    return raw.isascii() and raw.isdigit() and len(raw) <= 3
