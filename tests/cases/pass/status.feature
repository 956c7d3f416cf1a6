Feature: Status codes
  `status is` compares the HTTP status code of the last response with a number.

  Background:
    Given address "@address"

  Scenario: A success status
    Given URL path "/api/status/200"
    When the URL is invoked
    Then status is "200"

  Scenario: A client error status
    Given URL path "/api/status/404"
    When the URL is invoked
    Then status is "404"

  Scenario: A server error status
    Given URL path "/api/status/500"
    When the URL is invoked
    Then status is "500"

  Scenario: A status without a body
    Given URL path "/api/status/204"
    When the URL is invoked
    Then status is "204"

  Scenario: A business error keeps HTTP status 200
    Given URL path "/api/employee/get/999"
    When the URL is invoked
    Then status is "200"
