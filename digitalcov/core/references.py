"""Short, unambiguous references residents can read over the phone.

Crockford's base 32 alphabet leaves out I, L, O and U, so a reference never holds a letter that looks
like a digit. Eight characters give 32**8 (about 10**12) values: collisions are rare, and callers retry
on the unique constraint anyway.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(prefix: str, length: int = 8) -> str:
    """A reference such as "TIP-7K3M-9QXA": prefix, then `length` characters in groups of four."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(length))
    groups = [body[i : i + 4] for i in range(0, length, 4)]
    return "-".join([prefix, *groups])


def normalise_reference(text: str, prefix: str, length: int = 8) -> str:
    """Undo what people do when they type a reference: case, spaces, dashes, O for 0, I or L for 1.

    "tip 7k3m 9qxa", "7K3M9QXA" and "TIP-7K3M-9QXA" all give "TIP-7K3M-9QXA".
    """
    cleaned = "".join(text.upper().replace("-", " ").split())
    if cleaned.startswith(prefix):
        cleaned = cleaned[len(prefix) :]
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    groups = [cleaned[i : i + 4] for i in range(0, len(cleaned), 4)]
    return "-".join([prefix, *groups]) if cleaned else ""
