{% test unique_combination(model, columns) %}
{#- Rows whose combination of `columns` is not unique (no package dependency needed). -#}
select {{ columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
