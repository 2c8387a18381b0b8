"""Text primitives every layer shares, with no model behind them: what a word is (``words``), where the quotations
are (``quotations``), and what a date expression is (``dates``; its grammar is each language's)."""
