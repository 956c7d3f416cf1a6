Feature: File uploads
  `request file` sends a multipart body; files come from features/form/request/.

  Scenario: a file and form fields in one multipart body
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And format "FORM"
    And form field "batch" is "2026-11"
    And request file "upload" is "employees.csv"
    When the URL is invoked
    Then status is "200"
    And path "/files/upload/filename" is "employees.csv"
    And path "/files/upload/content_type" is "text/csv"
    And path "/files/upload/content" starts with "name,department"
    And path "/form/batch" is "2026-11"
    Given form is cleaned up
    When the URL is invoked
    Then path "/files" is an empty dict
