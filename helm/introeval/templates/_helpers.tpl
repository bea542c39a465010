{{- define "introeval.labels" -}}
app.kubernetes.io/name: introeval
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "introeval.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}

{{/* The residency group each GPU-bound stage needs, and the engine that serves it. */}}
{{- define "introeval.stageGroups" -}}
{"transcription": "stt", "extraction": "extract", "rating": "rate"}
{{- end -}}

{{/* Port of the engine that serves a group: speaches for stt, Ollama for extract and rate. */}}
{{- define "introeval.enginePort" -}}
{{ if eq . "stt" }}8000{{ else }}11434{{ end }}
{{- end -}}

{{/*
"true" when the scheduler talks to the Kubernetes API: it scales the engine Deployments this chart deploys, or
mirrors the phase leases into Lease objects. Only then does it get a ServiceAccount and a Role.
*/}}
{{- define "introeval.kubeApi" -}}
{{ if and .Values.gpu.nodes (or .Values.gpu.engines.deploy .Values.gpu.leaseMirror) }}true{{ end }}
{{- end -}}

{{/* A node's residency groups: gpu.groups with the node's own overrides on top (JSON; read with fromJson). */}}
{{- define "introeval.nodeGroups" -}}
{{ mergeOverwrite (deepCopy .root.Values.gpu.groups) (deepCopy (.node.groups | default dict)) | toJson }}
{{- end -}}

{{/* The engine Deployment (and Service) of one group on one node: <release>-<group>-<node>. */}}
{{- define "introeval.engineName" -}}
{{ .root.Release.Name }}-{{ .group }}-{{ .node.name }}
{{- end -}}

{{/* Where one group's engine on one node answers: the chart's Service, or the node's `urls` (engines run elsewhere). */}}
{{- define "introeval.engineUrl" -}}
{{- if .root.Values.gpu.engines.deploy -}}
http://{{ include "introeval.engineName" . }}:{{ include "introeval.enginePort" .group }}
{{- else -}}
{{ get (.node.urls | default dict) .group | default "" }}
{{- end -}}
{{- end -}}

{{/* The Lease object that mirrors one node's phase lease. */}}
{{- define "introeval.leaseName" -}}
{{ .root.Release.Name }}-gpu-{{ .node.name }}
{{- end -}}

{{/*
The scheduler's GPU_NODES_FILE (docs/scheduling.md), built from gpu.nodes and gpu.groups. Each group keeps the
model its stage's workers call (engines.<stage>.model) resident: one model per stage on every node, so every student
is judged by the same chain.
*/}}
{{- define "introeval.gpuNodesFile" -}}
{{- $root := . -}}
{{- $kubeApi := include "introeval.kubeApi" $root -}}
{{- $models := dict "stt" $root.Values.engines.transcription.model "extract" $root.Values.engines.extraction.model "rate" $root.Values.engines.rating.model -}}
{{- $kinds := dict "stt" "speaches" "extract" "ollama" "rate" "ollama" -}}
{{- $nodes := list -}}
{{- range $node := $root.Values.gpu.nodes -}}
{{- $groups := include "introeval.nodeGroups" (dict "root" $root "node" $node) | fromJson -}}
{{- $specs := dict -}}
{{- range $group := list "stt" "extract" "rate" -}}
{{- $at := dict "root" $root "node" $node "group" $group -}}
{{- $g := get $groups $group -}}
{{- $driver := dict "url" (include "introeval.engineUrl" $at) "models" (list (get $models $group)) -}}
{{- if $root.Values.gpu.engines.deploy -}}
{{- $_ := set $driver "kind" "kubernetes" -}}
{{- $_ := set $driver "deployment" (include "introeval.engineName" $at) -}}
{{- else -}}
{{- $_ := set $driver "kind" (get $kinds $group) -}}
{{- end -}}
{{- range $key, $value := ($g.driver | default dict) -}}
{{- $_ := set $driver $key ($value | int) -}}
{{- end -}}
{{- $_ := set $specs $group (dict "vramMb" ($g.vramMb | int) "concurrency" ($g.concurrency | int) "serviceSec" $g.serviceSec "gainAtMax" ($g.gainAtMax | default 1) "driver" $driver) -}}
{{- end -}}
{{- $spec := dict "name" $node.name "vramMb" ($node.vramMb | int) "groups" $specs -}}
{{- if $kubeApi -}}
{{- $_ := set $spec "kubernetes" (dict "namespace" $root.Release.Namespace "leaseName" (include "introeval.leaseName" (dict "root" $root "node" $node))) -}}
{{- end -}}
{{- $nodes = append $nodes $spec -}}
{{- end -}}
{{- dict "nodes" $nodes | toPrettyJson -}}
{{- end -}}

{{/*
One stage worker's Deployment. `node` is a gpu.nodes entry for a worker gated by that node's lease (GPU_NODE), or
nil for an ungated worker (embedded engines, or GPU engines without a scheduler).
*/}}
{{- define "introeval.worker" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $worker := .worker -}}
{{- $node := .node -}}
{{- $group := get (include "introeval.stageGroups" . | fromJson) $name -}}
{{- $engine := get $root.Values.engines $name | default dict -}}
{{- $url := $engine.url | default "" -}}
{{- $engineConcurrency := $engine.concurrency -}}
{{- if $node -}}
{{- $url = include "introeval.engineUrl" (dict "root" $root "node" $node "group" $group) -}}
{{- $engineConcurrency = (get (include "introeval.nodeGroups" (dict "root" $root "node" $node) | fromJson) $group).concurrency -}}
{{- end -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $root.Release.Name }}-{{ $name }}{{ if $node }}-{{ $node.name }}{{ end }}
  labels: {{- include "introeval.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ $name }}
    {{- if $node }}
    introeval.io/node: {{ $node.name }}
    {{- end }}
spec:
  replicas: {{ $worker.replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ $root.Release.Name }}
      app.kubernetes.io/component: {{ $name }}
      {{- if $node }}
      introeval.io/node: {{ $node.name }}
      {{- end }}
  template:
    metadata:
      labels: {{- include "introeval.labels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ $name }}
        {{- if $node }}
        introeval.io/node: {{ $node.name }}
        {{- end }}
    spec:
      # Workers finish and ack in-flight jobs on SIGTERM (DRAIN_TIMEOUT_MS 30 s) before they exit.
      terminationGracePeriodSeconds: 45
      containers:
        - name: {{ $name }}
          image: {{ include "introeval.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: ["apps/{{ $name }}/dist/main.js"]
          env:
            - { name: NATS_URL, value: {{ $root.Values.nats.url | quote }} }
            - { name: LOG_LEVEL, value: {{ $root.Values.logLevel | quote }} }
            - { name: STAGE_CONCURRENCY, value: {{ $worker.concurrency | quote }} }
            {{- if $node }}
            # Pull only while this node's phase lease grants the stage's group (docs/lease.md).
            - { name: GPU_NODE, value: {{ $node.name | quote }} }
            - { name: LEADER_TTL_MS, value: {{ $root.Values.lease.leaderTtlMs | int | quote }} }
            - { name: LEASE_HEARTBEAT_MS, value: {{ $root.Values.lease.heartbeatMs | int | quote }} }
            {{- end }}
            {{- if eq $name "upload" }}
            - { name: MEDIA_MAX_SEC, value: {{ $root.Values.media.maxSec | quote }} }
            - { name: MEDIA_MIN_SEC, value: {{ $root.Values.media.minSec | quote }} }
            - { name: MEDIA_MAX_BYTES, value: {{ $root.Values.gateway.mediaMaxBytes | int64 | quote }} }
            {{- end }}
            {{- if eq $name "transcription" }}
            - { name: STT_ENGINE, value: {{ $engine.engine | quote }} }
            {{- if eq $engine.engine "pocketsphinx" }}
            {{- if $worker.parallelism }}
            - { name: STT_PARALLELISM, value: {{ $worker.parallelism | quote }} }
            {{- end }}
            {{- else }}
            - { name: STT_URL, value: {{ $url | quote }} }
            - { name: STT_MODEL, value: {{ $engine.model | quote }} }
            - { name: STT_CONCURRENCY, value: {{ $engineConcurrency | int | quote }} }
            {{- end }}
            {{- end }}
            {{- if or (eq $name "extraction") (eq $name "rating") }}
            {{- $prefix := ternary "EXTRACT" "RATE" (eq $name "extraction") }}
            - { name: {{ $prefix }}_ENGINE, value: {{ $engine.engine | quote }} }
            {{- if ne $engine.engine "rules" }}
            - { name: OLLAMA_URL, value: {{ $url | quote }} }
            - { name: {{ $prefix }}_MODEL, value: {{ $engine.model | quote }} }
            - { name: {{ $prefix }}_CONCURRENCY, value: {{ $engineConcurrency | int | quote }} }
            - { name: {{ $prefix }}_FALLBACK, value: {{ $engine.fallback | quote }} }
            {{- end }}
            {{- if $node }}
            # A call without keep_alive resets the model's expiry to the server's default (5 min): only the scheduler
            # may unload a model of a granted phase.
            - { name: OLLAMA_KEEP_ALIVE, value: "-1" }
            {{- end }}
            {{- end }}
            {{- with $worker.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          resources: {{- toYaml $root.Values.resources | nindent 12 }}
{{- end -}}
