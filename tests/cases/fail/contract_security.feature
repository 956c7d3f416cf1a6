Feature: Security requirements and readOnly/writeOnly properties of an OpenAPI spec, broken
  Every scenario fails: a credential missing, one of two schemes missing, a readOnly property
  sent, a writeOnly one returned.

  Background:
    Given OpenAPI spec "tests/contracts/echo-security.yaml"
    And address "@address"
    And URL path "/api/echo"

  Scenario: no API key for the document's default security
    Given header "X-Other" "k-123"
    Then request matches the OpenAPI spec

  Scenario: neither of two alternatives
    Given REST method "POST"
    And header "Authorization" "Token abc"
    And request is "{"name": "widget"}"
    Then request matches the OpenAPI spec

  Scenario: only one of two schemes needed together
    Given REST method "PUT"
    And query string "?key=q-1"
    Then request matches the OpenAPI spec

  Scenario: a read-only property sent
    Given REST method "POST"
    And Basic Auth "hr" "hr-secret"
    And request is "{"id": 7, "name": "widget"}"
    Then request matches the OpenAPI spec

  Scenario: a write-only property returned
    Given REST method "POST"
    And Basic Auth "hr" "hr-secret"
    And request is "{"name": "widget", "secret": "only sent"}"
    When the URL is invoked
    Then response matches the OpenAPI spec
