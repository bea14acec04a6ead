* nnmip 0.1.0: fixtures/onnx/mlp_tiny.onnx
* objective: maximize (see --names for the variables)
* maximize: the objective row holds the NEGATED objective; the minimum is minus the maximum
NAME mlp_tiny FREE
ROWS
 N  obj
 E  r_l1_n0
 E  r_l1_n1
 E  r_l1_n2
 G  ra_l2_n0
 L  rm_l2_n0
 L  ru_l2_n0
 G  ra_l2_n1
 L  rm_l2_n1
 L  ru_l2_n1
 G  ra_l2_n2
 L  rm_l2_n2
 L  ru_l2_n2
 E  r_l3_n0
COLUMNS
    x_l0_n0  r_l1_n0  1.0050896406173706  r_l1_n1  0.44440358877182007
    x_l0_n0  r_l1_n2  0.8704808354377747
    x_l0_n1  r_l1_n0  -0.7536440491676331  r_l1_n1  0.2041756510734558
    x_l0_n1  r_l1_n2  -0.6892714500427246
    h_l1_n0  r_l1_n0  -1.0  ra_l2_n0  -1.0
    h_l1_n0  rm_l2_n0  -1.0
    h_l1_n1  r_l1_n1  -1.0  ra_l2_n1  -1.0
    h_l1_n1  rm_l2_n1  -1.0
    h_l1_n2  r_l1_n2  -1.0  ra_l2_n2  -1.0
    h_l1_n2  rm_l2_n2  -1.0
    a_l2_n0  ra_l2_n0  1.0  rm_l2_n0  1.0
    a_l2_n0  ru_l2_n0  1.0  r_l3_n0  -0.216231107711792
    M0  'MARKER'  'INTORG'
    z_l2_n0  rm_l2_n0  1.5923903584480297  ru_l2_n0  -1.9250770211219799
    M1  'MARKER'  'INTEND'
    a_l2_n1  ra_l2_n1  1.0  rm_l2_n1  1.0
    a_l2_n1  ru_l2_n1  1.0  r_l3_n0  0.30306458473205566
    M2  'MARKER'  'INTORG'
    z_l2_n1  rm_l2_n1  0.8752137422561651  ru_l2_n1  -0.42194473743438765
    M3  'MARKER'  'INTEND'
    a_l2_n2  ra_l2_n2  1.0  rm_l2_n2  1.0
    a_l2_n2  ru_l2_n2  1.0  r_l3_n0  -0.7825794816017151
    M4  'MARKER'  'INTORG'
    z_l2_n2  rm_l2_n2  1.8296704292297374  ru_l2_n2  -1.2898341417312633
    M5  'MARKER'  'INTEND'
    h_l3_n0  obj  -1.0  r_l3_n0  -1.0
RHS
    RHS  r_l1_n0  -0.1663433313369751
    RHS  r_l1_n1  0.22663450241088867
    RHS  r_l1_n2  0.26991814374923706
    RHS  rm_l2_n0  1.5923903584480297
    RHS  rm_l2_n1  0.8752137422561651
    RHS  rm_l2_n2  1.8296704292297374
    RHS  r_l3_n0  -0.09038037806749344
BOUNDS
 LO BND  x_l0_n0  -1.0
 UP BND  x_l0_n0  1.0
 LO BND  x_l0_n1  -1.0
 UP BND  x_l0_n1  1.0
 LO BND  h_l1_n0  -1.5923903584480297
 UP BND  h_l1_n0  1.9250770211219799
 LO BND  h_l1_n1  -0.8752137422561651
 UP BND  h_l1_n1  0.42194473743438765
 LO BND  h_l1_n2  -1.8296704292297374
 UP BND  h_l1_n2  1.2898341417312633
 LO BND  a_l2_n0  0.0
 UP BND  a_l2_n0  1.9250770211219799
 LO BND  z_l2_n0  0.0
 UP BND  z_l2_n0  1.0
 LO BND  a_l2_n1  0.0
 UP BND  a_l2_n1  0.42194473743438765
 LO BND  z_l2_n1  0.0
 UP BND  z_l2_n1  1.0
 LO BND  a_l2_n2  0.0
 UP BND  a_l2_n2  1.2898341417312633
 LO BND  z_l2_n2  0.0
 UP BND  z_l2_n2  1.0
 LO BND  h_l3_n0  -1.3352788926284753
 UP BND  h_l3_n0  0.21825688469792334
ENDATA
