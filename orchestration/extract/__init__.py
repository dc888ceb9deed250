"""Extract stage (pure Python, spaCy, no Dagster): articles -> claim mentions, quantities, hedges,
denials and the sources behind them, with character offsets into the article text. Scored against
the demo site's gold (orchestration/demo_site/gold/) and a real annotated corpus. Built in its own
issue.
"""
