"""Conventions of Chinese report text that every stage shares, one implementation each:

- :mod:`.numbers` — written quantities (Arabic, Chinese numerals via cn2an, fractions, 百分之, ranges, units);
- :mod:`.years` — years, year ranges and lists, multi-year questions;
- :mod:`.sentences` — sentence and paragraph bounds, wrapped-line joining;
- :mod:`.numbering` — heading numbering (一、 （一） 1. 第X章 第X条 #), list numbers, bullets;
- :mod:`.markup` — citation markers ``[n]``, highlights ``==x==``, placeholders ``【待补充：…】``;
- :mod:`.tables` — Markdown pipe tables (read with cell offsets, written with ``\\|`` escapes).
"""
