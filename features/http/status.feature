@http
Feature: Status codes, redirects and time limits
  /api/status/{code} answers with that status and `{"status": code}` (no body for 204);
  /api/delay/{ms} answers after that many milliseconds; /api/redirect/{n} redirects n times
  before answering, and redirects are followed.

  Background:
    Given address "@address"

  @smoke
  Scenario Outline: /api/status/<code> answers with status <code>
    Given URL path "/api/status/<code>"
    And REST method "<method>"
    When the URL is invoked
    Then status is "<code>"
    And path "/status" is an integer "<code>"

    Examples: Success
      | code | method |
      | 200  | GET    |
      | 201  | POST   |

    Examples: Client and server errors
      | code | method |
      | 404  | GET    |
      | 418  | PUT    |
      | 503  | DELETE |

  Scenario: A path no endpoint serves is an enveloped 404
    Given URL path "/api/no/such/endpoint"
    When the URL is invoked
    Then status is "404"
    And path "/meta/error_code" is "NOT_FOUND"
    And path "/meta/message" is "no endpoint at /api/no/such/endpoint"

  Scenario: A method an endpoint does not serve is a 405 that lists the allowed ones
    Given URL path "/api/text"
    And REST method "POST"
    When the URL is invoked
    Then status is "405"
    And header "Allow" is "GET, HEAD"
    And path "/meta/error_code" is "METHOD_NOT_ALLOWED"

  Scenario: Redirects are followed to the final answer
    Given URL path "/api/redirect/2"
    When the URL is invoked
    Then status is "200"
    And path "/redirected" is True

  Scenario: A slow answer within the timeout passes
    Given URL path "/api/delay/200"
    And timeout "5"
    When the URL is invoked
    Then status is "200"
    And path "/delayed_ms" is an integer "200"

  Scenario: A scenario can wait between two requests
    Given URL path "/api/status/200"
    When the URL is invoked
    Then status is "200"
    Given I sleep for "0.2"
    And URL path "/api/status/202"
    When the URL is invoked
    Then status is "202"

  Scenario: Test servers with self-signed certificates can be reached with verification off
    Given TLS certificates are not verified
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "200"
