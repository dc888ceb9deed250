"""One partition per night (UTC). Users replay archives of old news, so nights go back to 2000;
`end_offset=1` makes today's (still running) night a valid partition for `newsclaims run`."""

import dagster as dg

FIRST_NIGHT = "2000-01-01"

nightly_partitions = dg.DailyPartitionsDefinition(
    start_date=FIRST_NIGHT, end_offset=1, timezone="UTC"
)

# Every night is built on its own (the marts are "as of" one night): backfills run one
# partition per run, for every asset alike.
one_night_per_run = dg.BackfillPolicy.multi_run(max_partitions_per_run=1)
