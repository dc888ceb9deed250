{% test status_intervals(model, key, tracked) %}
{#- Intervals (valid_from, valid_to, both nights included) of each `key` that are not a clean
    history: an interval ending before it starts, one that does not start the night after the
    previous one ends (an overlap or a gap), one whose `tracked` columns all equal the previous
    interval's (null-safe: it should have been merged), or a current interval (is_current)
    that is not the key's last. -#}
with

ordered as (
    select
        *,
        lag(valid_to) over by_key as previous_valid_to,
        lead(valid_from) over by_key as next_valid_from,
        {%- for col in tracked %}
        lag({{ col }}) over by_key as previous_{{ col }},
        {%- endfor %}
        row_number() over by_key as n
    from {{ model }}
    window by_key as (partition by {{ key }} order by valid_from)
)

select *
from ordered
where
    valid_to < valid_from
    or (n > 1 and valid_from <> cast(previous_valid_to + interval 1 day as date))
    or (n > 1
        {%- for col in tracked %}
        and {{ col }} is not distinct from previous_{{ col }}
        {%- endfor %}
    )
    or is_current <> (next_valid_from is null)
{% endtest %}
