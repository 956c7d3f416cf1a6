Feature: Dates, wrongly
  Every scenario must fail.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And request is "{}"
    And date format "short" "YYYY-MM-DD"

  Scenario: a format that was never registered
    Given path "/when" in request is now "long"

  Scenario: a date not written in the format
    Given path "/when" in request is a random date after "01/02/2024" "short"

  Scenario: a month out of range
    Given path "/when" in request is a random date before "2024-13-01" "short"

  Scenario: an end before the start
    Given path "/when" in request is a random date between "2024-12-31" and "2024-01-01" "short"

  Scenario: a date outside the expected year
    Given path "/when" in request is a random date between "2023-05-01" and "2023-05-02" "short"
    When the URL is invoked
    Then path "/json/when" starts with "2024-"
