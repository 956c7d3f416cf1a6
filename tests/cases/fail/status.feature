Feature: Status codes, failing twin
  The same calls as pass/status.feature, with the wrong status expected. Every scenario must
  fail, and the message must show the body so the reason for the status can be read.

  Background:
    Given address "@address"

  Scenario: A success status where an error was expected
    Given URL path "/api/status/200"
    When the URL is invoked
    Then status is "400"

  Scenario: A client error status where success was expected
    Given URL path "/api/status/404"
    When the URL is invoked
    Then status is "200"

  Scenario: A server error status where success was expected
    Given URL path "/api/status/500"
    When the URL is invoked
    Then status is "200"

  Scenario: A status without a body where another was expected
    Given URL path "/api/status/204"
    When the URL is invoked
    Then status is "200"

  Scenario: A business error is not an HTTP error
    Given URL path "/api/employee/get/999"
    When the URL is invoked
    Then status is "404"

  Scenario: A status that is not a number is refused
    Given URL path "/api/status/200"
    When the URL is invoked
    Then status is "OK"
