{{/* Names and labels. */}}
{{- define "hypex.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "hypex.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "hypex.labels" -}}
{{ include "hypex.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "hypex.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The Host header the probes send: the first allowed host that is not "*", without a leading dot. */}}
{{- define "hypex.probeHost" -}}
{{- $host := "" -}}
{{- range .Values.config.allowedHosts -}}
{{- if and (not $host) (ne . "*") -}}{{- $host = trimPrefix "." . -}}{{- end -}}
{{- end -}}
{{- required "config.allowedHosts needs a host other than * (the probes send it as Host)" $host -}}
{{- end -}}

{{- define "hypex.ingressHosts" -}}
{{- $hosts := list -}}
{{/* Django's ".example.com" (the domain and its subdomains) is two Ingress hosts; "*" is none. */}}
{{- if .Values.ingress.hosts -}}
{{- $hosts = .Values.ingress.hosts -}}
{{- else -}}
{{- range .Values.config.allowedHosts -}}
{{- if hasPrefix "." . -}}
{{- $hosts = concat $hosts (list (trimPrefix "." .) (printf "*%s" .)) -}}
{{- else if ne . "*" -}}
{{- $hosts = append $hosts . -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $hosts -}}
{{- end -}}

{{- define "hypex.mediaClaim" -}}
{{- .Values.media.pvc.existingClaim | default (printf "%s-media" (include "hypex.fullname" .)) -}}
{{- end -}}

{{/*
Environment of every Hypex container: non-secret settings from values, secrets by reference to the
existing Secret (never copied into the release). Optional keys are `optional: true`.
*/}}
{{- define "hypex.env" -}}
{{- $secret := required "existingSecret: the name of an existing Secret with SECRET_KEY, DATABASE_URL and REDIS_URL" .Values.existingSecret -}}
- name: DJANGO_SETTINGS_MODULE
  value: config.settings.production
- name: ALLOWED_HOSTS
  value: {{ join "," (required "config.allowedHosts is required" .Values.config.allowedHosts) | quote }}
- name: SITE_URL
  value: {{ required "config.siteUrl is required" .Values.config.siteUrl | quote }}
- name: TRUSTED_PROXY_COUNT
  value: {{ .Values.config.trustedProxyCount | quote }}
- name: SECURE_SSL_REDIRECT
  value: {{ .Values.config.secureSslRedirect | quote }}
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: PROMETHEUS_MULTIPROC_DIR
  value: /run/hypex-metrics
{{- with .Values.metrics.allowedNetworks }}
- name: METRICS_ALLOWED_NETWORKS
  value: {{ join "," . | quote }}
{{- end }}
{{- if eq .Values.media.storage "pvc" }}
- name: MEDIA_STORAGE
  value: filesystem
- name: MEDIA_ROOT
  value: /app/data/media
- name: DATAEXCHANGE_FILES_ROOT
  value: /app/data/private/dataexchange
{{- else if eq .Values.media.storage "s3" }}
- name: MEDIA_STORAGE
  value: s3
- name: AWS_STORAGE_BUCKET_NAME
  value: {{ required "media.s3.bucket is required with media.storage=s3" .Values.media.s3.bucket | quote }}
{{- with .Values.media.s3.endpointUrl }}
- name: AWS_S3_ENDPOINT_URL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.media.s3.region }}
- name: AWS_S3_REGION_NAME
  value: {{ . | quote }}
{{- end }}
{{- with .Values.media.s3.addressingStyle }}
- name: AWS_S3_ADDRESSING_STYLE
  value: {{ . | quote }}
{{- end }}
{{- with .Values.media.s3.customDomain }}
- name: AWS_S3_CUSTOM_DOMAIN
  value: {{ . | quote }}
{{- end }}
{{- with .Values.media.s3.privateBucket }}
- name: DATAEXCHANGE_S3_BUCKET_NAME
  value: {{ . | quote }}
{{- end }}
{{- else }}
{{- fail (printf "media.storage must be pvc or s3, not %q" .Values.media.storage) }}
{{- end }}
{{- with .Values.tracing.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ $.Values.tracing.serviceName | quote }}
{{- end }}
{{- range $name, $value := .Values.config.extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- range list "SECRET_KEY" "DATABASE_URL" "REDIS_URL" }}
- name: {{ . }}
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: {{ . }}}
{{- end }}
{{- range list "METRICS_TOKEN" "SECRET_KEY_FALLBACKS" "STRIPE_SECRET_KEY" "STRIPE_PUBLISHABLE_KEY" "STRIPE_WEBHOOK_SECRET" "AWS_ACCESS_KEY_ID" "AWS_SECRET_ACCESS_KEY" "EMAIL_HOST_PASSWORD" "GOOGLE_CLIENT_SECRET" "SMS_HTTP_TOKEN" }}
- name: {{ . }}
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: {{ . }}, optional: true}
{{- end }}
{{- range .Values.extraSecretEnv }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: {{ .key }}, optional: true}
{{- end }}
{{- end -}}

{{/* Writable places on a read-only root: /tmp (uploads being received), the metrics files, media. */}}
{{- define "hypex.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: metrics
  mountPath: /run/hypex-metrics
{{- if and .media (eq .root.Values.media.storage "pvc") }}
- name: data
  mountPath: /app/data
{{- end }}
{{- end -}}

{{- define "hypex.volumes" -}}
- name: tmp
  emptyDir: {sizeLimit: 1Gi}
- name: metrics
  emptyDir: {medium: Memory, sizeLimit: 64Mi}
{{- if and .media (eq .root.Values.media.storage "pvc") }}
- name: data
  persistentVolumeClaim:
    claimName: {{ include "hypex.mediaClaim" .root }}
{{- end }}
{{- end -}}

{{/* What every Hypex pod shares: service account, pull secrets, non-root security context. */}}
{{- define "hypex.podCommon" -}}
{{- if .Values.serviceAccountName }}
serviceAccountName: {{ .Values.serviceAccountName }}
{{- end }}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{- define "hypex.placement" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* huey consumer arguments: threads, graceful stop on SIGTERM within the pod's grace period. */}}
{{- define "hypex.hueyArgs" -}}
- "-w"
- {{ .threads | quote }}
- "--graceful-signal"
- TERM
- "--shutdown-timeout"
- {{ sub .terminationGracePeriodSeconds 5 | quote }}
{{- end -}}
