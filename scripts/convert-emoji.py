#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Converts Unicode's emoji groups and CLDR emoji names into taxonomy pages.

Reads emoji-test.txt (Debian package unicode-data) for the groups, subgroups
and emoji in CLDR order, and the CLDR annotations (Debian package
unicode-cldr-core) for each emoji's name and keywords in each language.
Writes one page per group and language under data/maps/emoji/:

    # Group; group label in CLDR's words for the language, when CLDR has one
    ## 1. subgroup; subgroup words
    ### 1.1 emoji name; CLDR keywords

Skin-tone variants and components are left out, and so is an emoji that has
no name in the language. English, French, Japanese and Russian pages carry
their language in the file name (name.fr.md); German, Spanish and Chinese
pages in a `lang:` front-matter key, so that both ways are used.

An authoring step, run by hand; its output is committed:

    scripts/convert-emoji.py [--out data/maps/emoji]
"""

import argparse
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET

EMOJI_TEST = "/usr/share/unicode/emoji/emoji-test.txt"
CLDR = "/usr/share/unicode/cldr/common"

# Language, and how the page says it: "suffix" (name.fr.md) or "front" (lang:).
LANGUAGES = [
    ("en", None),
    ("fr", "suffix"),
    ("de", "front"),
    ("es", "front"),
    ("ru", "suffix"),
    ("zh", "front"),
    ("ja", "suffix"),
]

# CLDR's character labels (common/main/xx.xml) nearest to each emoji group;
# they go into the group heading's keyword phrase.
GROUP_LABELS = {
    "Smileys & Emotion": ["smiley"],
    "People & Body": ["people", "body"],
    "Animals & Nature": ["animals_nature"],
    "Food & Drink": ["food_drink"],
    "Travel & Places": ["travel_places"],
    "Activities": ["activities"],
    "Objects": ["objects"],
    "Symbols": ["symbols"],
    "Flags": ["flags"],
}

SKIN_TONES = {chr(c) for c in range(0x1F3FB, 0x1F400)}
VS16 = "\ufe0f"
DATE = "2026-01-16"


def read_emoji_test(path):
    """[(group, [(subgroup, [emoji string])])] in file order."""
    groups = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# group:"):
                groups.append((line.split(":", 1)[1].strip(), []))
            elif line.startswith("# subgroup:"):
                groups[-1][1].append((line.split(":", 1)[1].strip(), []))
            elif line and not line.startswith("#"):
                fields, _, _ = line.partition("#")
                codes, _, status = fields.partition(";")
                if status.strip() != "fully-qualified":
                    continue
                emoji = "".join(chr(int(c, 16)) for c in codes.split())
                if SKIN_TONES & set(emoji):
                    continue
                groups[-1][1][-1][1].append(emoji)
    return [g for g in groups if g[0] != "Component"]


def read_annotations(lang):
    """{emoji: (name, [keywords])} from annotations and annotationsDerived."""
    names, keywords = {}, {}
    for folder in ("annotations", "annotationsDerived"):
        path = os.path.join(CLDR, folder, lang + ".xml")
        if not os.path.exists(path):
            continue
        for a in ET.parse(path).getroot().iter("annotation"):
            cp, text = a.get("cp"), (a.text or "").strip()
            if not cp or not text or text == "↑↑↑":
                continue
            if a.get("type") == "tts":
                names.setdefault(cp, text)
            else:
                keywords.setdefault(cp, [k.strip() for k in text.split("|") if k.strip()])
    out = {}
    for cp, name in names.items():
        out[cp] = (name, keywords.get(cp, []))
    return out


def read_character_labels(lang):
    path = os.path.join(CLDR, "main", lang + ".xml")
    labels = {}
    for c in ET.parse(path).getroot().iter("characterLabel"):
        if c.text:
            labels[c.get("type")] = c.text.strip()
    return labels


def lookup(annotations, emoji):
    for key in (emoji, emoji.replace(VS16, "")):
        if key in annotations:
            return annotations[key]
    return None


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#{}|])")


def text(s):
    """One line of heading text: no ';' (it splits label from keywords), Markdown escaped."""
    s = " ".join(s.replace(";", ",").split())
    return MARKDOWN_SPECIAL.sub(r"\\\1", s)


def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower().replace("&", "and")).strip("-")


def page(group, subgroups, lang, how, annotations, labels):
    lines = ["---", f'title: "{group}"', 'category: "emoji"', f'tag: "{slug(group)}"']
    if how == "front":
        lines.append(f"lang: {lang}")
    lines += [f"date: {DATE}", "draft: false", "---", "", '{{< jsvis-map1 "white" "" >}}']
    group_words = [labels[t] for t in GROUP_LABELS.get(group, []) if t in labels]
    lines.append(f"# {text(group)}; {text(' '.join(group_words) or group)}")
    headings = 1
    number = 0
    for subgroup, emojis in subgroups:
        entries = [e for e in (lookup(annotations, x) for x in emojis) if e]
        if not entries:
            continue
        number += 1
        lines.append(f"## {number}. {text(subgroup)}; {text(subgroup.replace('-', ' '))}")
        headings += 1
        for i, (name, keywords) in enumerate(entries, 1):
            phrase = ", ".join(keywords) if keywords else name
            lines.append(f"### {number}.{i} {text(name)}; {text(phrase)}")
            headings += 1
    lines += ["{{< /jsvis-map1 >}}", ""]
    return "\n".join(lines), headings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data",
                                                      "maps", "emoji"))
    args = parser.parse_args()
    groups = read_emoji_test(EMOJI_TEST)
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    total_pages = total_headings = 0
    for lang, how in LANGUAGES:
        annotations = read_annotations(lang)
        labels = read_character_labels(lang)
        folder = os.path.join(args.out, lang) if how == "front" else args.out
        os.makedirs(folder, exist_ok=True)
        for group, subgroups in groups:
            body, headings = page(group, subgroups, lang, how, annotations, labels)
            name = slug(group) + (f".{lang}" if how == "suffix" else "") + ".md"
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write(body)
            total_pages += 1
            total_headings += headings
    print(f"{total_pages} pages, {total_headings} headings in {os.path.normpath(args.out)}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
