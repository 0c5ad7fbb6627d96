{{/* An image the operator builds: images.<name> when set, else <registry>/<name>:<tag>. */}}
{{- define "monero-operator.image" -}}
{{- $images := .root.Values.images -}}
{{- $override := index $images .name -}}
{{- if $override -}}
{{- $override -}}
{{- else -}}
{{- printf "%s/%s:%s" $images.registry .repository (default .root.Chart.AppVersion $images.tag) -}}
{{- end -}}
{{- end -}}

{{- define "monero-operator.labels" -}}
app.kubernetes.io/name: monero-operator
{{- end -}}

{{- define "monero-operator.selectorLabels" -}}
app.kubernetes.io/name: monero-operator
app.kubernetes.io/component: hook-server
{{- end -}}
