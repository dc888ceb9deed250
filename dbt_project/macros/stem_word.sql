{#- A crude stem of a lower-case word, the one key terms and counted units are compared by:
    "crossed", "crossing" -> "cross"; "troops" -> "troop"; "vessels" -> "vessel". -#}
{% macro stem_word(expr) -%}
    regexp_replace({{ expr }}, '(ing|ed|es|s)$', '')
{%- endmacro %}
