Feature: XML with a DOCTYPE
  A DOCTYPE without an internal subset is accepted and never read: the DTD it names is not
  fetched, so no entity from it is expanded. XHTML pages start this way.

  Background:
    Given address "@address"

  Scenario: a DOCTYPE naming an external DTD is read past, and kept on edit
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And request is "<?xml version="1.0"?><!DOCTYPE employee SYSTEM "http://127.0.0.1:9/employee.dtd"><employee><name>John Doe</name></employee>"
    And XPath "/employee/name" in request is "Jane Roe"
    When the URL is invoked
    Then status is "200"
    And XPath "/employee/name" is "Jane Roe"
    And response body contains "<!DOCTYPE employee SYSTEM"

  Scenario: an XHTML page
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And request is "<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Staff</title></head></html>"
    And namespace prefix "h" of "http://www.w3.org/1999/xhtml"
    When the URL is invoked
    Then XPath "/h:html/h:head/h:title" is "Staff"
