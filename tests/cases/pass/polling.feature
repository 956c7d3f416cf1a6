Feature: Polling until a check holds
  The demo's /api/eventually/{key} answers "pending" until after_ms after its first call.

  Scenario: A job that finishes after a second
    Given address "@address"
    Given URL path "/api/eventually/pass-1?after_ms=1000"
    When the URL is invoked
    Then path "/status" is "pending"
    And within "5" seconds, every "0.2" seconds, path "/status" is "done"
    And path "/status" is "done"

  Scenario: A check that holds at once is sent once
    Given address "@address"
    Given URL path "/api/eventually/pass-2?after_ms=0"
    Then within "1" seconds, every "0.5" seconds, status is "200"
    And path "/calls" is an integer "1"

  Scenario: A server that answers a 503 first, then a 200
    Given address "@address"
    Given URL path "/api/flaky/pass-3?failures=2"
    Then within "3" seconds, every "0.1" seconds, status is "200"
    And path "/calls" is an integer "3"
