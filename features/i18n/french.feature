# language: fr
Fonctionnalité: L'API des employés, écrite en français
  Les mots-clés sont ceux de la langue du fichier ; les phrases des étapes restent en anglais.

  Contexte:
    Soit address "@address"
    Et REST method "GET"

  Scénario: Lire un employé
    Soit URL path "/api/employee/get/123"
    Quand the URL is invoked
    Alors status is "200"
    Et path "/data/name" is "John Doe"
    Mais path "/data/department" is not one of "Sales, Legal"

  Plan du scénario: Lire l'employé <numéro>
    Soit URL path "/api/employee/get/<numéro>"
    Lorsque the URL is invoked
    Alors status is "200"
    Et path "/data/name" is "<nom>"

    Exemples:
      | numéro | nom      |
      | 123    | John Doe |
