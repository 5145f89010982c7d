#!/usr/bin/env python3
"""Parses a Markdown file as strict CommonMark (markdown-it-py, no linkify) and prints what a
reader sees: every emphasis, link, image and raw HTML node (with the text or target it
carries), and every heading with its level and text.

    python md_check.py FILE > found.json
"""
import json
import sys

from markdown_it import MarkdownIt

MARKUP = {"em_open", "strong_open", "link_open", "image", "html_inline", "html_block"}


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    tokens = MarkdownIt("commonmark").parse(text)
    markup, headings = [], []
    for i, block in enumerate(tokens):
        if block.type == "heading_open":
            inline = tokens[i + 1]
            text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
            headings.append({"level": int(block.tag[1]), "text": text})
        children = [block, *(block.children or [])]
        for j, t in enumerate(children):
            if t.type in MARKUP:
                after = children[j + 1] if j + 1 < len(children) else t
                key = t.attrGet("href") or t.attrGet("src") or (
                    after.content if t.type.endswith("_open") else t.content)
                markup.append(f"{t.type.removesuffix('_open')}:{key.strip()}")
    json.dump({"markup": markup, "headings": headings}, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
