Feature: File uploads, wrongly
  Every scenario must fail.

  Scenario: a file that does not exist
    Given address "@address"
    And URL path "/api/echo"
    And request file "upload" is "missing.csv"

  Scenario: a file outside the project
    Given address "@address"
    And request file "upload" is "../../../../etc/passwd"

  Scenario: the wrong file name expected
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And request file "upload" is "employees.csv"
    When the URL is invoked
    Then path "/files/upload/filename" is "other.csv"
