"""Request header fields that mean the same to every API, defined once: what browsers, HTTP
clients, proxies, load balancers, CDNs and tracing libraries add to a request whatever the API
is. A description does not document them as parameters (OpenAPI even ignores ``Accept``,
``Content-Type`` and ``Authorization`` as header parameters), so a request carrying one says
nothing about the API.

Names are lower case; compare with :func:`is_general_request_header`.
"""

from __future__ import annotations

GENERAL_REQUEST_HEADERS: frozenset[str] = frozenset(
    {
        # RFC 9110 (semantics): content, conditionals, ranges, negotiation, context, auth
        "accept",
        "accept-charset",
        "accept-encoding",
        "accept-language",
        "accept-datetime",
        "authorization",
        "content-encoding",
        "content-language",
        "content-length",
        "content-location",
        "content-range",
        "content-type",
        "date",
        "expect",
        "from",
        "host",
        "if-match",
        "if-modified-since",
        "if-none-match",
        "if-range",
        "if-unmodified-since",
        "max-forwards",
        "proxy-authorization",
        "range",
        "referer",
        "te",
        "trailer",
        "upgrade",
        "user-agent",
        "via",
        # Registered fields of other RFCs: preferences (7240), digests (9530), message
        # signatures (9421), the Alt-Used of alternative services (7838)
        "prefer",
        "content-md5",
        "digest",
        "want-digest",
        "content-digest",
        "repr-digest",
        "want-content-digest",
        "want-repr-digest",
        "signature",
        "signature-input",
        "alt-used",
        # RFC 9111 (caching)
        "cache-control",
        "pragma",
        # RFC 9112 (HTTP/1.1 messaging) and its predecessors' connection fields
        "connection",
        "keep-alive",
        "transfer-encoding",
        "proxy-connection",
        "http2-settings",
        # Cookies (RFC 6265), CORS and the Fetch standard
        "cookie",
        "origin",
        "access-control-request-method",
        "access-control-request-headers",
        "access-control-request-private-network",
        "upgrade-insecure-requests",
        "dnt",
        "sec-gpc",
        "priority",
        "purpose",
        "sec-purpose",
        "x-purpose",
        "x-moz",
        "service-worker",
        "service-worker-navigation-preload",
        "save-data",
        "device-memory",
        "downlink",
        "dpr",
        "ect",
        "rtt",
        "viewport-width",
        "width",
        "early-data",
        "x-requested-with",
        "x-xsrf-token",  # sent by Angular's HTTP client from the XSRF-TOKEN cookie
        "x-client-data",  # Chrome's field trials, on Google's domains
        "postman-token",  # Postman, on every request it sends
        # WebSocket handshake (RFC 6455)
        "sec-websocket-key",
        "sec-websocket-version",
        "sec-websocket-extensions",
        "sec-websocket-protocol",
        # Forwarding by proxies and load balancers (RFC 7239 and the de-facto X- fields)
        "forwarded",
        "x-real-ip",
        "true-client-ip",
        "x-client-ip",
        "x-cluster-client-ip",
        "x-original-forwarded-for",
        "x-original-url",
        "x-original-uri",
        "x-original-host",
        "x-original-method",
        "x-rewrite-url",
        "x-scheme",
        "x-url-scheme",
        "front-end-https",
        "x-arr-ssl",
        "x-arr-log-id",
        "x-appgw-trace-id",
        "x-att-deviceid",
        "x-wap-profile",
        "x-proxyuser-ip",
        "x-ssl-client-verify",
        "x-client-cert",
        "x-ssl-client-cert",
        "x-forwarded-client-cert",
        # Tracing and correlation (W3C Trace Context and Baggage, Zipkin B3, cloud tracers)
        "traceparent",
        "tracestate",
        "baggage",
        "b3",
        "x-request-id",
        "request-id",
        "x-correlation-id",
        "correlation-id",
        "x-amzn-trace-id",
        "x-cloud-trace-context",
        "grpc-trace-bin",
        "uber-trace-id",
        "x-datadog-trace-id",
        "x-datadog-parent-id",
        "x-datadog-sampling-priority",
        "x-datadog-origin",
        "x-datadog-tags",
        "newrelic",
        "sentry-trace",
        "elastic-apm-traceparent",
        "x-ms-client-request-id",
        "x-ms-request-id",
        "x-ot-span-context",
        "x-trace-id",
        "x-correlationid",
        "x-ms-useragent",
        "x-ms-return-client-request-id",
        "x-goog-api-client",
        "x-dynatrace",
        # AWS Signature Version 4 and the AWS SDKs
        "x-amz-date",
        "x-amz-content-sha256",
        "x-amz-security-token",
        "x-amz-user-agent",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        # CDNs, load balancers, platforms
        "cdn-loop",
        "x-cache",
        "x-varnish",
        "akamai-origin-hop",
        "x-akamai-config-log-detail",
        "x-azure-clientip",
        "x-azure-socketip",
        "x-azure-ref",
        "x-azure-fdid",
        "x-azure-requestchain",
        "x-fd-healthprobe",
        "x-heroku-queue-wait-time",
        "x-request-start",
        "x-queue-start",
        "x-vercel-id",
        "x-vercel-ip-country",
        "x-vercel-forwarded-for",
        "x-nf-client-connection-ip",
        "x-nf-request-id",
        "x-edge-location",
        "x-timer",
        "x-appengine-country",
        "x-appengine-region",
        "x-appengine-city",
        "x-appengine-citylatlong",
        "x-appengine-user-ip",
        "x-goog-authenticated-user-email",
        "x-goog-authenticated-user-id",
        "x-serverless-authorization",
        "x-middleware-prefetch",
        "x-middleware-subrequest",
        "x-nginx-proxy",
        "x-bluecoat-via",
        "x-proxy-id",
        "surrogate-capability",
        "x-sucuri-clientip",
        "incap-client-ip",
        # HTTP method override (a proxy or client library that cannot send PATCH or DELETE)
        "x-http-method-override",
        "x-http-method",
        "x-method-override",
        # Server-sent events, compression negotiation, browser extensions to Fetch
        "last-event-id",
        "a-im",
        "ping-from",
        "ping-to",
    }
)
"""Fields any request may carry, by lower-case name."""

GENERAL_REQUEST_PREFIXES: tuple[str, ...] = (
    "sec-fetch-",  # Fetch metadata: sec-fetch-site, -mode, -dest, -user
    "sec-ch-",  # User-Agent Client Hints
    "x-forwarded-",  # x-forwarded-for, -proto, -host, -port, -prefix, -server, -ssl...
    "x-b3-",  # Zipkin B3 multi-header propagation
    "cf-",  # Cloudflare: cf-connecting-ip, cf-ray, cf-ipcountry, cf-visitor...
    "x-amz-cf-",  # Amazon CloudFront
    "cloudfront-",  # CloudFront viewer headers
    "x-amzn-",  # AWS load balancers and API Gateway
    "x-envoy-",  # Envoy proxies and Istio
    "x-istio-",
    "fastly-",
    "x-fastly-",
    "akamai-",
    "x-akamai-",
    "x-datadog-",
    "ot-baggage-",  # OpenTracing baggage
    "uberctx-",  # Jaeger baggage
    "x-vercel-",
    "x-nf-",  # Netlify
    "x-appengine-",
    "x-cloud-",  # Google Cloud load balancers
    "x-arr-",  # Azure Application Request Routing
    "l5d-",  # Linkerd
    "grpc-",  # gRPC over HTTP/2: grpc-timeout, grpc-encoding, grpc-accept-encoding
    "x-newrelic-",
    "x-dynatrace-",
    "x-instana-",
    "ot-tracer-",  # OpenTracing's basic tracer
    "x-stainless-",  # what SDKs generated by Stainless add about themselves
)
"""Families of fields added by one standard or one kind of intermediary."""


def is_general_request_header(name: str) -> bool:
    """``name`` (any case) is a field any request may carry whatever the API: a standard field,
    a field browsers, proxies, CDNs or tracers add, or an HTTP/2 and HTTP/3 pseudo-header."""
    lowered = name.strip().lower()
    if not lowered or lowered.startswith(":"):
        return True
    return lowered in GENERAL_REQUEST_HEADERS or lowered.startswith(GENERAL_REQUEST_PREFIXES)
