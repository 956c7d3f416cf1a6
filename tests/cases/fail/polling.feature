Feature: Polling that gives up
  Scenario: A job that never finishes in time
    Given address "@address"
    Given URL path "/api/eventually/fail-1?after_ms=60000"
    Then within "1" seconds, every "0.3" seconds, path "/status" is "done"

  Scenario: A server that is down
    Given address "http://127.0.0.1:9"
    Then within "0.5" seconds, every "0.2" seconds, status is "200"

  Scenario: An interval longer than the time limit
    Given address "@address"
    Given URL path "/api/eventually/fail-3"
    Then within "1" seconds, every "2" seconds, status is "200"

  Scenario: A time limit that is not a number
    Given address "@address"
    Given URL path "/api/eventually/fail-4"
    Then within "soon" seconds, every "1" seconds, status is "200"
