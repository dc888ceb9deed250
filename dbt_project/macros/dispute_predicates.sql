{#- Lemmas of verbs that dispute a claim by calling it exaggerated or made up: a mention
    "accused Maristan of exaggerating the amount of grain stuck" is about the amount stuck. -#}
{% macro dispute_predicates() -%}
    ('exaggerate', 'overstate', 'inflate', 'fabricate', 'invent', 'distort')
{%- endmacro %}
