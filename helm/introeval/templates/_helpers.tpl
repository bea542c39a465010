{{- define "introeval.labels" -}}
app.kubernetes.io/name: introeval
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "introeval.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
