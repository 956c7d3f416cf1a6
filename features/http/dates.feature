Feature: Dates in the request, in named formats
  Formats use the tokens of Python's arrow library, as Zato's apitest does.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And request is "{}"
    And date format "short" "YYYY-MM-DD"
    And date format "words" "dddd, D MMMM YYYY [at] HH:mm"

  Scenario: now, in UTC, an hour ago, and the default format
    Given path "/local" in request is now "short"
    And path "/utc" in request is UTC now "default"
    And path "/before" in request is UTC now "default" minus one hour
    And path "/spoken" in request is UTC now "words"
    And path "/random" in request is a random date "short"
    When the URL is invoked
    Then path "/json/local" starts with "20"
    And path "/json/utc" starts with "20"
    And path "/json/utc" is a string
    And path "/json/spoken" is a string
    And path "/json/random" starts with "20"

  Scenario: random dates inside their windows
    Given path "/between" in request is a random date between "2024-01-01" and "2024-12-31" "short"
    And path "/after" in request is a random date after "2024-01-01" "short"
    And path "/before" in request is a random date before "2000-01-01" "short"
    When the URL is invoked
    Then path "/json/between" starts with "2024-"
    And path "/json/after" starts with any of "2024-, 2025-, 2026-, 2027-, 2028-, 2029-"
    And path "/json/before" starts with any of "1994-, 1995-, 1996-, 1997-, 1998-, 1999-"

  Scenario: a random date stored
    Given I store a random date under "today", format "short"
    Then variable "#today" is any string
