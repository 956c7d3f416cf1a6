Feature: Sending the request, failing twin
  The same calls as pass/send.feature, with wrong expectations, and the ways a request
  cannot be sent at all. Every scenario must fail.

  Scenario: A check before the URL is invoked has no response to read
    Given address "@address"
    And URL path "/api/status/200"
    Then status is "200"

  Scenario: The second call's status is not the first call's
    Given address "@address"
    And URL path "/api/status/201"
    When the URL is invoked
    Then status is "201"
    Given URL path "/api/status/202"
    When the URL is invoked
    Then status is "201"

  Scenario: Nothing listens on the address
    Given address "http://127.0.0.1:9"
    And URL path "/api/status/200"
    When the URL is invoked

  Scenario: No address was given
    Given URL path "/api/status/200"
    When the URL is invoked

  Scenario: An answer slower than the timeout
    Given address "@address"
    And URL path "/api/delay/3000"
    And timeout "0.5"
    When the URL is invoked

  Scenario: A timeout that is not a number is refused
    Given address "@address"
    And timeout "soon"

  Scenario: A timeout of zero is refused
    Given address "@address"
    And timeout "0"

  Scenario: The redirected answer is not the one expected
    Given address "@address"
    And URL path "/api/redirect/3"
    When the URL is invoked
    Then path "/redirected" is False

  Scenario: The gzip-compressed answer is not the one expected
    Given address "@address"
    And URL path "/api/gzip"
    When the URL is invoked
    Then JSON response does not exist

  Scenario: turning TLS verification off does not make HTTPS out of plain HTTP
    Given address "@address"
    And TLS certificates are not verified
    And address "https://127.0.0.1:9"
    When the URL is invoked
