"""Names of the venues papers are published at, as lists and metadata write them."""

from __future__ import annotations

import re

VENUE_NAMES = (
    r"arxiv|acl|emnlp|naacl|eacl|coling|neurips|nips|iclr|icml|aaai|ijcai|cvpr|iccv|eccv|kdd|www|"
    r"sigir|usenix(?: security)?|ccs|ndss|s&p|tmlr|jmlr|colm|tacl|findings|uai|aistats|corl|icra|"
    r"iros|acm mm|wacv|bmvc|interspeech|icassp|ieee s&p|tpami|tifs|tdsc"
)
VENUE_WORD = re.compile(rf"(?<![\w-])(?P<venue>{VENUE_NAMES})(?P<rest>[\w()'&-]*)", re.IGNORECASE)
