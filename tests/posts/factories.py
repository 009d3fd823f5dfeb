from posts.services import create_post


def draft(author, channels=(), **overrides):
    args = {
        "title": "National Night Out",
        "body": "Join us for National Night Out on August 4 at Miles Avenue Park.",
        "category": "announcement",
        "channels": channels,
    }
    args.update(overrides)
    return create_post(actor=author, **args)
