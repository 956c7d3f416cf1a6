Feature: Security requirements and readOnly/writeOnly properties of an OpenAPI spec, met
  The requests carry what `security` asks, and the bodies keep to readOnly and writeOnly.

  Background:
    Given OpenAPI spec "tests/contracts/echo-security.yaml"
    And address "@address"
    And URL path "/api/echo"

  Scenario: the document's default security, an API key header
    Given header "X-API-Key" "k-123"
    Then request matches the OpenAPI spec
    When the URL is invoked
    Then response matches the OpenAPI spec

  Scenario: one of two alternatives, Basic credentials
    Given REST method "POST"
    And Basic Auth "hr" "hr-secret"
    And request is "{"name": "widget", "secret": "only sent"}"
    Then request matches the OpenAPI spec

  Scenario: a bearer token, and a response without the write-only field
    Given REST method "POST"
    And header "Authorization" "Bearer tok-1"
    And request is "{"name": "widget"}"
    Then request matches the OpenAPI spec
    When the URL is invoked
    Then response matches the OpenAPI spec

  Scenario: two schemes together, a query key and a session cookie
    Given REST method "PUT"
    And query string "?key=q-1"
    And cookie "session" "s-1"
    Then request matches the OpenAPI spec

  Scenario: a public operation needs nothing
    Given URL path "/api/echo/x"
    Then request matches the OpenAPI spec
